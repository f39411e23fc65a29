"""Company accounts (employers) and the people who act for them."""
