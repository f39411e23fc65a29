"""The web shell: layout, start page, language switch, health check and error pages."""
