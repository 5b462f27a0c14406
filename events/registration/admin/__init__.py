"""The coordinators' side of registration in the Wagtail admin: one offering, attendance, overviews, one person."""
