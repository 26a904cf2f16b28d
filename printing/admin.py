# Batch prints are background jobs; they are listed in the admin under 后台任务 (jobs).
