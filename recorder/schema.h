#ifndef RECORDER_SCHEMA_H
#define RECORDER_SCHEMA_H

/* The numbered migrations; migration i (0-based) brings user_version to i+1. */
const char *const *recorder_schema_migrations(int *count);

#endif
