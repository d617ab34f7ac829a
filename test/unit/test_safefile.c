/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests for core/safefile.c: what another user may plant where damo
 * writes (a symbolic link to a victim file, a file of their own, a FIFO)
 * is never opened for writing, and the victim stays as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/safefile.h"
#include "core/xalloc.h"

#define VICTIM_TEXT "victim's own bytes\n"

static char *dir;

static int setup(void **state)
{
	char tmpl[] = "/tmp/test_safefile.XXXXXX";

	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	dir = xstrdup(tmpl);
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	(void)state;
	if (system(cmd))
		return -1;
	free(cmd);
	free(dir);
	return 0;
}

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Entries of the test directory, "." and ".." left out. */
static int nr_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void put(const char *path, const char *text, unsigned int flags)
{
	struct safefile sf;

	assert_int_equal(safefile_open(&sf, path, 0644), 0);
	assert_int_equal(safefile_write_all(sf.fd, text, strlen(text)), 0);
	assert_int_equal(safefile_commit(&sf, flags), 0);
}

static void test_writes_and_leaves_nothing(void **state)
{
	char *out = in_dir("out.json");
	struct stat st;

	(void)state;
	put(out, "one\n", 0);
	assert_string_equal(read_text(out), "one\n");
	assert_int_equal(nr_entries(), 1);
	put(out, "two\n", SAFEFILE_KEEP_OLD);
	assert_string_equal(read_text(out), "two\n");
	free(out);
	out = in_dir("out.json.old");
	assert_string_equal(read_text(out), "one\n");
	assert_int_equal(nr_entries(), 2);
	assert_int_equal(stat(out, &st), 0);
	free(out);
}

/* The temporary name is in the target's directory and not guessable. */
static void test_tmp_names(void **state)
{
	char *out = in_dir("r.json");
	struct safefile a, b;

	(void)state;
	assert_int_equal(safefile_open(&a, out, 0600), 0);
	assert_int_equal(safefile_open(&b, out, 0600), 0);
	assert_string_not_equal(a.tmp, b.tmp);
	assert_int_equal(strncmp(a.tmp, dir, strlen(dir)), 0);
	assert_null(strstr(a.tmp, "r.json.tmp"));
	safefile_discard(&a);
	safefile_discard(&b);
	assert_int_equal(nr_entries(), 0);
	free(out);
}

/* out.json and the old fixed name out.json.tmp both link to a victim. */
static void test_planted_symlink(void **state)
{
	char *victim = in_dir("victim"), *out = in_dir("out.json");
	char *tmp = in_dir("out.json.tmp");
	struct stat st;

	(void)state;
	write_text(victim, VICTIM_TEXT);
	assert_int_equal(symlink(victim, out), 0);
	assert_int_equal(symlink(victim, tmp), 0);
	put(out, "mine\n", 0);
	assert_string_equal(read_text(victim), VICTIM_TEXT);
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(read_text(out), "mine\n");
	assert_int_equal(lstat(tmp, &st), 0);
	assert_true(S_ISLNK(st.st_mode));	/* left alone */
	/* KEEP_OLD moves a planted link aside, never through it */
	unlink(out);
	assert_int_equal(symlink(victim, out), 0);
	put(out, "again\n", SAFEFILE_KEEP_OLD);
	assert_string_equal(read_text(victim), VICTIM_TEXT);
	free(victim);
	free(out);
	free(tmp);
}

/* A pre-created file at the name is replaced, its inode not written. */
static void test_planted_file(void **state)
{
	char *out = in_dir("out.svg"), *keep = in_dir("keep");
	struct stat st;

	(void)state;
	write_text(out, VICTIM_TEXT);
	assert_int_equal(link(out, keep), 0);	/* the planter's handle */
	put(out, "mine\n", 0);
	assert_string_equal(read_text(keep), VICTIM_TEXT);
	assert_string_equal(read_text(out), "mine\n");
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_nlink, 1);
	free(out);
	free(keep);
}

/* A FIFO at the name neither blocks nor receives the bytes. */
static void test_planted_fifo(void **state)
{
	char *out = in_dir("out.png"), *fd_path;
	struct stat st;

	(void)state;
	assert_int_equal(mkfifo(out, 0666), 0);
	put(out, "mine\n", 0);
	assert_int_equal(lstat(out, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	free(out);
	/* nor does create_new open one */
	fd_path = in_dir("rec.damo");
	assert_int_equal(mkfifo(fd_path, 0666), 0);
	assert_int_equal(safefile_create_new(fd_path, 0600), -EEXIST);
	free(fd_path);
}

static void test_unwritable_dir(void **state)
{
	char *sub = in_dir("ro"), *out = xasprintf("%s/ro/out.json", dir);
	char *missing = xasprintf("%s/missing/out.json", dir);
	struct safefile sf;

	(void)state;
	assert_int_equal(safefile_open(&sf, missing, 0600), -ENOENT);
	assert_int_equal(sf.fd, -1);
	assert_int_equal(safefile_open(&sf, dir, 0600), 0);
	assert_int_equal(safefile_commit(&sf, 0), -EISDIR);
	assert_int_equal(nr_entries(), 0);
	/* root writes anywhere a mode allows: /proc refuses even root */
	assert_true(safefile_open(&sf, "/proc/damo-safefile-test", 0600) < 0);
	if (geteuid()) {
		assert_int_equal(mkdir(sub, 0500), 0);
		assert_int_equal(safefile_open(&sf, out, 0600), -EACCES);
	}
	free(sub);
	free(out);
	free(missing);
}

static void test_create_new(void **state)
{
	char *victim = in_dir("victim"), *out = in_dir("rec.damo");
	int fd;

	(void)state;
	write_text(victim, VICTIM_TEXT);
	assert_int_equal(symlink(victim, out), 0);
	assert_int_equal(safefile_create_new(out, 0600), -EEXIST);
	assert_string_equal(read_text(victim), VICTIM_TEXT);
	unlink(out);
	fd = safefile_create_new(out, 0600);
	assert_true(fd >= 0);
	close(fd);
	free(victim);
	free(out);
}

static void test_open_private(void **state)
{
	char *victim = in_dir("victim"), *reg = in_dir("kdamonds");
	char *hard = in_dir("hard");
	const char *why;
	int fd;

	(void)state;
	write_text(victim, VICTIM_TEXT);
	/* a link: refused, the victim neither truncated nor written */
	assert_int_equal(symlink(victim, reg), 0);
	assert_int_equal(safefile_open_private(reg, O_RDWR | O_TRUNC, 0600,
					       &why), -EPERM);
	assert_string_equal(why, "it is a symbolic link");
	assert_string_equal(read_text(victim), VICTIM_TEXT);
	unlink(reg);
	/* a FIFO: refused without blocking */
	assert_int_equal(mkfifo(reg, 0666), 0);
	assert_int_equal(safefile_open_private(reg, O_WRONLY, 0600, &why),
			 -EPERM);
	assert_string_equal(why, "it is not a regular file");
	unlink(reg);
	/* a hard link to someone's file */
	assert_int_equal(link(victim, hard), 0);
	assert_int_equal(safefile_open_private(hard, O_RDWR | O_TRUNC, 0600,
					       &why), -EPERM);
	assert_string_equal(why, "it has other hard links");
	assert_string_equal(read_text(victim), VICTIM_TEXT);
	unlink(hard);
	/* another user's file (root can make one) */
	if (!geteuid()) {
		assert_int_equal(chown(victim, 65534, 65534), 0);
		assert_int_equal(safefile_open_private(victim, O_RDWR | O_TRUNC,
						       0600, &why), -EPERM);
		assert_string_equal(why, "it belongs to another user");
		assert_string_equal(read_text(victim), VICTIM_TEXT);
	}
	/* absent: created; present and ours: opened, truncated on request */
	fd = safefile_open_private(reg, O_RDWR, 0600, &why);
	assert_true(fd >= 0);
	assert_int_equal(safefile_write_all(fd, "x\n", 2), 0);
	close(fd);
	fd = safefile_open_private(reg, O_RDWR | O_TRUNC, 0600, &why);
	assert_true(fd >= 0);
	close(fd);
	assert_string_equal(read_text(reg), "");
	free(victim);
	free(reg);
	free(hard);
}

static void test_private_dir(void **state)
{
	char *run = in_dir("run/damo"), *link_dir = in_dir("linked");
	char *open_dir = in_dir("open"), *file = in_dir("file");
	char *slash = xasprintf("%s/linked/", dir);
	const char *why;
	struct stat st;

	(void)state;
	/* absent: made, 0700, parents too */
	assert_int_equal(safefile_private_dir(run, 0, &why), 0);
	assert_int_equal(lstat(run, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(safefile_private_dir(run, 077, &why), 0);
	/* a link to a good directory is still a link */
	assert_int_equal(symlink(run, link_dir), 0);
	assert_int_equal(safefile_private_dir(link_dir, 0, &why), -EPERM);
	assert_string_equal(why, "it is a symbolic link");
	assert_int_equal(safefile_private_dir(slash, 0, &why), -EPERM);
	/* writable by others */
	assert_int_equal(mkdir(open_dir, 0700), 0);
	assert_int_equal(chmod(open_dir, 01777), 0);
	assert_int_equal(safefile_private_dir(open_dir, 0, &why), -EPERM);
	assert_string_equal(why, "others may write in it");
	assert_int_equal(chmod(open_dir, 0755), 0);
	assert_int_equal(safefile_private_dir(open_dir, 0, &why), 0);
	assert_int_equal(safefile_private_dir(open_dir, 077, &why), -EPERM);
	assert_string_equal(why, "others may read or enter it");
	/* another user's */
	if (!geteuid()) {
		assert_int_equal(chmod(open_dir, 0700), 0);
		assert_int_equal(chown(open_dir, 65534, 65534), 0);
		assert_int_equal(safefile_private_dir(open_dir, 0, &why),
				 -EPERM);
		assert_string_equal(why, "it belongs to another user");
	}
	write_text(file, "");
	assert_int_equal(safefile_private_dir(file, 0, &why), -EPERM);
	assert_string_equal(why, "it is not a directory");
	free(run);
	free(link_dir);
	free(open_dir);
	free(file);
	free(slash);
}

/* A full device is ENOSPC, as the failing write said. */
static void test_write_all_errno(void **state)
{
	int fd = open("/dev/full", O_WRONLY);

	(void)state;
	if (fd < 0)
		skip();
	assert_int_equal(safefile_write_all(fd, "x", 1), -ENOSPC);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_writes_and_leaves_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_tmp_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_symlink, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_planted_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_planted_fifo, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_dir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_new, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_private, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_private_dir, setup,
						teardown),
		cmocka_unit_test(test_write_all_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
