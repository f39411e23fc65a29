"""A company's employment numbers: which person each of its payroll system's employment ids
(PAXml `anstid`, anställningsnummer) stands for, so that files naming people by id alone can be
read."""
