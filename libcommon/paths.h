/* paths.h: where sp finds its shared files (schemas/, pipelines/). */
#ifndef SP_PATHS_H
#define SP_PATHS_H

/*
 * sp_share_path: the path of rel (e.g. "schemas/migrations") among sp's
 * shared files; the caller frees it.  Looked up in order: $SP_SHARE/rel;
 * the source tree the running tool was built in (<dir of exe>/../rel);
 * SP_SHAREDIR/rel (PREFIX/share/sp, where make install puts them).  The
 * first that exists wins; if none does, the last candidate is returned.
 */
char *sp_share_path(const char *rel);

/*
 * sp_home: the working directory for state and staged data: $SP_HOME, or
 * $XDG_DATA_HOME/sp, or ~/.local/share/sp.  Returns a malloc'd string.
 */
char *sp_home(void);

/* mkdir -p path, creating missing directories with mode; returns 0, or -1
 * with errno set. */
int sp_mkdirs(const char *path, int mode);

/*
 * sp_umasked: mode less the process's umask, as open(2) would create a
 * file; for an fchmod that must not widen what the user's umask allows
 * (a private SP_HOME keeps its files private).  Reads the umask from
 * /proc/self/status (no change to it, so safe beside other threads),
 * else assumes 022.
 */
unsigned sp_umasked(unsigned mode);

#endif
