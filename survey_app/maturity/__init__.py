"""An organisation's own return (the Digital Maturity Assessment): its contributors' pages."""
