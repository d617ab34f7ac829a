/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pnginfo FILE [X Y]...: decode a PNG file whole with libpng and print
 * "WIDTH HEIGHT", then the colour of each pixel asked for as "#rrggbb",
 * one a line; exit 1 when the file does not decode.  For the bats tests
 * of heatmap images.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	png_image img;
	png_bytep px, p;
	long x, y;
	int i;

	if (argc < 2 || argc % 2) {
		fprintf(stderr, "usage: pnginfo FILE [X Y]...\n");
		return 2;
	}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "pnginfo: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGB;
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "pnginfo: %s: %s\n", argv[1], img.message);
		return 1;
	}
	printf("%u %u\n", img.width, img.height);
	for (i = 2; i < argc; i += 2) {
		x = strtol(argv[i], NULL, 10);
		y = strtol(argv[i + 1], NULL, 10);
		if (x < 0 || y < 0 || x >= (long)img.width ||
		    y >= (long)img.height) {
			printf("outside\n");
			continue;
		}
		p = px + ((size_t)y * img.width + (size_t)x) * 3;
		printf("#%02x%02x%02x\n", p[0], p[1], p[2]);
	}
	free(px);
	png_image_free(&img);
	return 0;
}
