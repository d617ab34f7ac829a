/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Image files of distribution plots (--plot of report wss, nr_regions and
 * footprints): the picture core/dist_plot.h lays out, as PNG (libpng) or
 * SVG, by the file name's extension, written whole to a temporary file
 * next to it and renamed into place.
 */
#ifndef DAMO_FORMATS_DIST_IMAGE_H
#define DAMO_FORMATS_DIST_IMAGE_H

struct dist_plot;

enum dist_image_format {
	DIST_IMAGE_PNG,
	DIST_IMAGE_SVG,
};

/* The format of @path by its extension (.png, .svg, any case), or -1. */
int dist_image_format_of(const char *path);

/*
 * dist_image_write() - write picture @p to @path in format @fmt.
 * @what: on failure, receives what failed ("create", "write", "rename"),
 *	borrowed static storage
 * Return: 0, or -errno (nothing at @path changed, no temporary file left).
 */
int dist_image_write(const struct dist_plot *p, enum dist_image_format fmt,
		     const char *path, const char **what);

#endif /* DAMO_FORMATS_DIST_IMAGE_H */
