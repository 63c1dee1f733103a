"""Messages: which reminders are due, the outbox and its transports, sending agendas, the planner that
runs it all.
"""
