"""The portal (`besluitroute web`): members and the public read meetings, agendas, proposals and
calendars in a browser. Read-only on the same database; the CLI stays the only way to change
anything. Everything the portal needs from the rest of the project comes in through
`workflow.web.bronnen`.
"""
