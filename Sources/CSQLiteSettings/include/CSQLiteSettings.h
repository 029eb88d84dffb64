#ifndef CSQLITESETTINGS_H
#define CSQLITESETTINGS_H

/// SQLite's process-wide settings, which its C API takes only through `sqlite3_config`: a variadic function Swift
/// cannot call, and one that must run before SQLite initialises (before the process's first connection). This
/// module makes them in a load-time constructor, so that no code path can open a connection first.
///
/// The one setting: SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`) are off. They take a process-wide mutex
/// on every allocation and free SQLite makes (a few percent of the writer's time a transition), and CareJourney
/// reads none of them (no `sqlite3_memory_used`, no soft heap limit).

/// SQLite's answer to the settings at load: `SQLITE_OK` (0), or an error code if SQLite had already initialised.
int carejourney_sqlite_settings_result(void);

#endif
