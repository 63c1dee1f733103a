"""The portal's routes by role, one Flask blueprint each: pages (pagina), signing in
(inloggen), calendar feeds (feeds), documents (documenten) and the secretariat's board
(secretariaat). OParl and the Woo-index have their own packages. workflow.web.app registers
them all."""
