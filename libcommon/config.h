/* config.h: where sp keeps its files (XDG base directories) and its settings. */
#ifndef SP_CONFIG_H
#define SP_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The directories, each returned as a new string the caller frees:
 *   config: $XDG_CONFIG_HOME/sp, else ~/.config/sp (tokens.json, config)
 *   state:  $SP_HOME/state when SP_HOME is set, else $XDG_STATE_HOME/sp,
 *           else ~/.local/state/sp (cursors)
 *   cache:  $SP_HOME/cache when SP_HOME is set, else $XDG_CACHE_HOME/sp,
 *           else ~/.cache/sp (the artist and album caches)
 * Relative XDG values are ignored, as the XDG spec says.  Nothing is created.
 */
char *sp_conf_config_dir(void);
char *sp_conf_state_dir(void);
char *sp_conf_cache_dir(void);

/*
 * sp_conf_get: a setting: the environment variable SP_<KEY> (key upper-
 * cased) when set and non-empty, else the line "key = value" of
 * <config dir>/config (blank lines and lines starting with '#' ignored).
 * Returns a new string the caller frees, or NULL when unset.
 */
char *sp_conf_get(const char *key);

/* sp_conf_join: "a/b" as a new string the caller frees. */
char *sp_conf_join(const char *a, const char *b);

/*
 * sp_conf_write_atomic: replaces path with data[0, len) atomically: writes
 * a temporary file in the same directory with mode, fsyncs it, renames it
 * over path and fsyncs the directory.  The parent directory must exist.
 * Returns 0, or -1 with errno set (the temporary file is removed).
 */
int sp_conf_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
