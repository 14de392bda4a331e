"""The collaborative partnership working training module: activities, reflective log and quiz."""
