/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Heatmap image files: the picture core/heatmap_plot.h lays out, as PNG
 * (libpng) or SVG (plain XML text), written whole to FILE.tmp and renamed
 * into place so that a failure leaves no half file behind.
 */
#ifndef DAMO_FORMATS_HEATMAP_IMAGE_H
#define DAMO_FORMATS_HEATMAP_IMAGE_H

struct heatmap_plot;

enum heatmap_image_format {
	HEATMAP_IMAGE_PNG,
	HEATMAP_IMAGE_SVG,
};

/* The format named @name ("png", "svg"), or -1. */
int heatmap_image_format_parse(const char *name);

/* The format of @path by its extension (.png, .svg, any case), or -1. */
int heatmap_image_format_of(const char *path);

/*
 * heatmap_image_write() - write picture @p to @path in format @fmt.
 * @what: on failure, receives what failed ("create", "write", "rename"),
 *	borrowed static storage
 * Return: 0, or -errno (nothing at @path changed, no @path.tmp left).
 */
int heatmap_image_write(const struct heatmap_plot *p,
			enum heatmap_image_format fmt, const char *path,
			const char **what);

#endif /* DAMO_FORMATS_HEATMAP_IMAGE_H */
