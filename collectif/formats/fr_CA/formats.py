# Django's own fr_CA formats write the hour "H h i" without escaping the "h", which prints the
# hour twice (« 22 novembre 2026, 11 11 24 »). The same formats, with "h" a letter.
TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 13 h 40
