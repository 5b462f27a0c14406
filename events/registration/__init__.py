"""Registration for events, courses and webinars: seats, waiting list, e-mails, privacy.

`models` holds the data, `services` the rules that write (lock, check, insert), `emails` the outbox, `views` the public
form and the contact's manage page, `admin_views` what coordinators see in the Wagtail admin.
"""
