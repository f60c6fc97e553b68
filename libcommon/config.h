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
 * The one settings file, sp.conf: $SP_HOME/sp.conf when SP_HOME is set,
 * else <config dir>/sp.conf (sp_conf_file returns its path; the caller
 * frees it).  pipeline.sh reads the same file with the same rules.  Each
 * line is NAME=value (NAME in capitals, digits and '_'; an optional
 * "export " before it), blank, or a '#' comment.  The value is taken as
 * written, or from inside one pair of single or double quotes; nothing
 * is expanded or run.  A value a shell would read differently (blanks,
 * quotes, '$', '`', backslash, ';', '&', '|', '<', '>', parentheses, '~')
 * outside quotes, or '$', '`' or backslash inside double quotes, is not
 * a setting.  The last line for a name wins.
 *
 * sp_conf_line: splits LINE in place.  Returns 1 with *name and *value
 * set, 0 for a blank or comment line, -1 for a line that is not a
 * setting.
 *
 * sp_conf_get: the setting SP_<KEY> (key upper-cased): from the
 * environment when set and non-empty (the environment always wins), else
 * from sp.conf, else from the old "key = value" file <config dir>/config
 * (with a warning to move it).  Returns a new string the caller frees,
 * or NULL when unset.
 */
char *sp_conf_file(void);
int sp_conf_line(char *line, char **name, char **value);
char *sp_conf_get(const char *key);

/* sp_conf_join: "a/b" as a new string the caller frees. */
char *sp_conf_join(const char *a, const char *b);

/*
 * sp_conf_write_atomic: replaces path with data[0, len) atomically: writes
 * a new temporary file in the same directory with mode (less the umask,
 * as open(2) makes it), fsyncs it, renames it
 * over path and fsyncs the directory.  The parent directory must exist.
 * Returns 0, or -1 with errno set (the temporary file is removed).
 */
int sp_conf_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

#endif
