"""Registration for events, courses and webinars: seats, waiting list, e-mails, privacy.

`models` the data, `selectors` the reads, `services` the changes, `views` the public side, `admin` the coordinators'.
"""
