// Replaced by the "reminders" branch: the service worker's push and notificationclick handlers.
