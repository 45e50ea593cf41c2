"""What protects the site and its people from abuse: security headers and refused requests
(`security`), rate limits (`ratelimit`), the login lockout and slowdown (`lockout`), who may
manage whose account (`accounts`), spreadsheet exports safe to open (`exports`) and the
password reset's limit (`forms`)."""
