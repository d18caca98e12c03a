/* bench/upload's photo: a 4032 x 3024 JPEG of smooth noise (a phone's 12 MP, about 3 MB at
 * quality 88). Built by bench/upload with cc and pkg-config vips. */
#include <stdio.h>
#include <vips/vips.h>

int main(int argc, char** argv) {
  if (argc != 2 || VIPS_INIT(argv[0]) != 0) return 1;
  VipsImage *noise, *smooth, *rgb, *bytes;
  if (vips_gaussnoise(&noise, 1008, 756, "sigma", 40.0, "mean", 128.0, NULL) ||
      vips_resize(noise, &smooth, 4.0, NULL)) return 1;
  VipsImage* bands[3] = {smooth, smooth, smooth};
  if (vips_bandjoin(bands, &rgb, 3, NULL) || vips_cast_uchar(rgb, &bytes, NULL)) return 1;
  void* buffer;
  size_t length;
  if (vips_jpegsave_buffer(bytes, &buffer, &length, "Q", 88, NULL)) return 1;
  FILE* out = fopen(argv[1], "wb");
  if (out == NULL || fwrite(buffer, 1, length, out) != length || fclose(out) != 0) return 1;
  return 0;
}
