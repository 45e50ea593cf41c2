# Dates and times as the team reads them: « 5 décembre 2026, 17 h 05 ». Django's own fr_CA
# formats write the « h » unescaped, which prints the hour a second time
# (« 22 novembre 2026, 11 11 24 »).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 13 h 40
