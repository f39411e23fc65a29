"""The employer's pages: the company's certificates, signing them, and their sealed documents."""
