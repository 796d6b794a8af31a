"""The API's resources: what each endpoint answers, over the loaded build's catalog."""
