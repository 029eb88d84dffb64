#include "CSQLiteSettings.h"
#include <sqlite3.h>

static int settings_result = -1;

__attribute__((constructor)) static void carejourney_sqlite_settings(void) {
    settings_result = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int carejourney_sqlite_settings_result(void) {
    return settings_result;
}
