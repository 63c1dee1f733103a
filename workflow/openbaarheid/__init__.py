"""Woo publication: the publication moments of each body's agendas, documents and decision lists,
recorded when the reminder pass publishes them, with exceptions on a Woo ground."""
