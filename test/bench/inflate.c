/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inflate libraries on one json_compressed file, best of N runs of CPU
 * time each: zlib streaming with 64 KiB and 1 MiB buffers (with its own
 * adler32 check, and raw with libdeflate's adler32 as the reader does),
 * libdeflate's whole-buffer zlib decompression (no streaming: the whole
 * output in memory), and the two adler32 alone.
 *
 *   inflate FILE [RUNS]
 */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char *zin;
static size_t zlen, plen;
static unsigned char *plain;

/* zlib streaming into a @bufsz buffer; @raw: no zlib check, libdeflate's. */
static size_t zlib_stream(size_t bufsz, int raw)
{
	unsigned char *out = malloc(bufsz);
	uint32_t adler = 1;
	size_t total = 0;
	z_stream zs;
	int ret;

	memset(&zs, 0, sizeof(zs));
	if (raw) {
		inflateInit2(&zs, -15);
		zs.next_in = zin + 2;
		zs.avail_in = (uInt)(zlen - 2);
	} else {
		inflateInit(&zs);
		zs.next_in = zin;
		zs.avail_in = (uInt)zlen;
	}
	do {
		zs.next_out = out;
		zs.avail_out = (uInt)bufsz;
		ret = inflate(&zs, Z_NO_FLUSH);
		total += bufsz - zs.avail_out;
		if (raw)
			adler = libdeflate_adler32(adler, out,
						   bufsz - zs.avail_out);
	} while (ret == Z_OK);
	inflateEnd(&zs);
	free(out);
	if (ret != Z_STREAM_END)
		fprintf(stderr, "inflate: %d\n", ret);
	return total + (adler == 0xdeadbeef);
}

static size_t deflate_whole(void)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t got = 0;

	if (libdeflate_zlib_decompress(d, zin, zlen, plain, plen, &got))
		fprintf(stderr, "libdeflate failed\n");
	libdeflate_free_decompressor(d);
	return got;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"zlib inflate, 64 KiB buffer", "zlib inflate, 1 MiB buffer",
		"zlib raw + libdeflate adler32, 64 KiB",
		"libdeflate whole buffer (no streaming)",
		"adler32 alone: zlib", "adler32 alone: libdeflate",
	};
	int runs = argc > 2 ? atoi(argv[2]) : 5, i, k;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: inflate FILE [RUNS]\n");
		return 64;
	}
	f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	zlen = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	zin = malloc(zlen);
	if (fread(zin, 1, zlen, f) != zlen)
		return 1;
	fclose(f);
	plen = zlib_stream(1 << 20, 0);
	plain = malloc(plen);
	deflate_whole();
	printf("%s: %.1f MiB compressed, %.1f MiB inflated\n", argv[1],
	       zlen / 1048576.0, plen / 1048576.0);
	for (k = 0; k < 6; k++) {
		double best = 1e9;

		for (i = 0; i < runs; i++) {
			double t0 = cpu_s(), t;

			switch (k) {
			case 0: zlib_stream(64 << 10, 0); break;
			case 1: zlib_stream(1 << 20, 0); break;
			case 2: zlib_stream(64 << 10, 1); break;
			case 3: deflate_whole(); break;
			case 4: adler32(1, plain, (uInt)plen); break;
			case 5: libdeflate_adler32(1, plain, plen); break;
			}
			t = cpu_s() - t0;
			if (t < best)
				best = t;
		}
		printf("%-42s %8.3f s %8.0f MB/s\n", names[k], best,
		       plen / best / 1e6);
	}
	return 0;
}
