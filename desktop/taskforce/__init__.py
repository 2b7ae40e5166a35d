"""The task force's own work (TASKFORCE.md, 第十五–十七条), Qt-free: 包联 coverage, the problem
list's state table and warnings, monitoring periods, bulletin figures and the work desk."""
