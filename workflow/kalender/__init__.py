"""Meetings in time: working days and deadlines, the meeting table kept in step with the definitions,
the route planner, iCalendar export, statutory duties.
"""
