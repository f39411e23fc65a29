"""Blocks A and B: who the certificate is about and who issues it."""

from schemas import fields as f
from schemas.base import ContentSchema


class EmployeeSchema(ContentSchema):
    """A. The employee (`Arbetstagare`)."""

    first_name = f.text("Fornamn", 20, required=True)
    last_name = f.text("Efternamn", 35, required=True)
    personnummer = f.personnummer("Personnummer", required=True)
    email = f.email("Epostadress")
    phone = f.phone("Telefonnummer")
    notify_by_sms = f.flag("SkickaSMS")


class AddressSchema(ContentSchema):
    """The employer's postal address (`Adress`)."""

    street = f.text("Gatuadress", 100, required=True)
    care_of = f.text("CareOf", 100)
    postal_code = f.postal_code("Postnummer", required=True)
    city = f.text("Ort", 50, required=True)


class EmployerSchema(ContentSchema):
    """B. The employer (`Arbetsgivare`)."""

    name = f.text("Namn", 50, required=True)
    organisation_number = f.organisation_number("Organisationsnummer", required=True)
    address = f.block(AddressSchema, "Adress")
    email = f.email("Epostadress")
    phone = f.phone("Telefonnummer")
    use_registered_information = f.flag("AnvandRedanRegistreradInformation")
    consent = f.flag("Samtycke")
    other_information = f.text("OvrigUpplysning/OvrigUpplysning", 2000)
    # Jäv: the employer is related to the employee, so the company auditor must countersign.
    related_employer = f.flag("Jav", extension=True)
