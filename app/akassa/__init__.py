"""The unemployment funds (a-kassor) as reference data, and who is a member of which."""
