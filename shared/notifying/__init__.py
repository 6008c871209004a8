"""Messages to visitors outside the hall: what is said, and the channels that carry it.

Channels (Web Push, SMS through a modem or an HTTP gateway, WhatsApp) know nothing of tickets
or the database: they get one rendered `Message` and either deliver it or raise
`DeliveryFailed`. The outbox and the worker that drains it live in `shared.services`.
"""
