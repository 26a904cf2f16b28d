# Printing keeps no rows of its own: a batch print is a background job (jobs.models.Job).
