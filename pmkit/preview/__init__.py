"""``pmkit preview``: the course as an LMS runs it, rebuilt on every save.

``build`` turns the content folder into what the page shows (the SCORM app of
both versions, the HTML handout, every format's ``check()``), ``server`` serves
it on 127.0.0.1 with a page that plays the LMS (``static/``: the page and the
SCORM API it provides) and watches the folder.
"""
