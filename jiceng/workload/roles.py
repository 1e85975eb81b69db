"""Who may ask things of the grassroots and watch its burden (S7, S8).

Leaders in charge, county administrators, assessors and the platform send tasks (交办), read the
platform's data instead of sending forms (一表通) and watch the burden (减负监测). Plain strings
(`org.models.Role` values), so apps.py can name them in the menu before the models load.
"""

UPPER_ROLES = ("leader", "county_admin", "assessor", "platform_admin")
