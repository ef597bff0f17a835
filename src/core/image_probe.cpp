#include "quarry/core/image_probe.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "quarry/core/perceptual_hash.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::uint32_t be16(const Bytes& b, std::size_t i) { return (b[i] << 8) | b[i + 1]; }
std::uint32_t be32(const Bytes& b, std::size_t i) { return (be16(b, i) << 16) | be16(b, i + 2); }
std::uint32_t le16(const Bytes& b, std::size_t i) { return b[i] | (b[i + 1] << 8); }
std::uint32_t le32(const Bytes& b, std::size_t i) { return le16(b, i) | (le16(b, i + 2) << 16); }

struct Header {
  std::int64_t width = 0, height = 0;
  std::string format;
  std::string problem;  // set when the header is unusable or the file is cut short
  int orientation = 1;  // EXIF orientation of a JPEG, 1 (as stored) to 8
};

// The orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment's TIFF structure, from `begin`
// (just after "Exif\0\0") to `end`; 1 when it is absent or unreadable, as OpenCV and Qt treat it.
int exifOrientation(const Bytes& b, std::size_t begin, std::size_t end) {
  if (end > b.size() || begin + 8 > end) return 1;
  const bool le = b[begin] == 'I' && b[begin + 1] == 'I';
  const bool be = b[begin] == 'M' && b[begin + 1] == 'M';
  if (!le && !be) return 1;
  auto u16 = [&](std::size_t i) { return le ? le16(b, i) : be16(b, i); };
  auto u32 = [&](std::size_t i) { return le ? le32(b, i) : be32(b, i); };
  const std::size_t ifd = begin + u32(begin + 4);
  if (ifd < begin + 8 || ifd + 2 > end) return 1;
  const std::size_t n = u16(ifd);
  for (std::size_t k = 0; k < n && ifd + 2 + 12 * (k + 1) <= end; ++k) {
    const std::size_t e = ifd + 2 + 12 * k;
    if (u16(e) != 0x0112 || u16(e + 2) != 3) continue;  // orientation, a SHORT
    const std::uint32_t v = u16(e + 8);
    return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
  }
  return 1;
}

Header jpegHeader(const Bytes& b) {
  Header h{0, 0, "jpeg", ""};
  std::size_t i = 2, sos = 0;
  while (i + 4 <= b.size()) {
    if (b[i] != 0xFF) { h.problem = "corrupt JPEG marker structure"; return h; }
    const std::uint8_t m = b[i + 1];
    if (m == 0xFF) { ++i; continue; }  // fill byte
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { i += 2; continue; }
    const std::uint32_t len = be16(b, i + 2);
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof && i + 9 <= b.size()) {
      h.height = be16(b, i + 5);
      h.width = be16(b, i + 7);
    }
    static constexpr std::uint8_t kExif[] = {'E', 'x', 'i', 'f', 0, 0};
    if (m == 0xE1 && len >= 8 && i + 10 <= b.size() && std::equal(kExif, kExif + 6, b.begin() + i + 4))
      h.orientation = exifOrientation(b, i + 10, i + 2 + len);
    if (m == 0xDA) { sos = i; break; }
    i += 2 + len;
  }
  if (h.width == 0 || h.height == 0) { h.problem = "no JPEG frame header (truncated or not a JPEG)"; return h; }
  if (sos == 0) { h.problem = "truncated JPEG (no image data)"; return h; }
  // Entropy-coded data cannot contain FF D9, so an end-of-image marker after the first scan
  // is the real one; thumbnails in APP segments come before the scan and do not count.
  for (std::size_t j = b.size() - 1; j > sos + 1; --j)
    if (b[j] == 0xD9 && b[j - 1] == 0xFF) return h;
  h.problem = "truncated JPEG (no end-of-image marker)";
  return h;
}

Header pngHeader(const Bytes& b) {
  Header h{0, 0, "png", ""};
  if (b.size() < 33 || std::string(b.begin() + 12, b.begin() + 16) != "IHDR") {
    h.problem = "truncated PNG (no IHDR chunk)";
    return h;
  }
  h.width = be32(b, 16);
  h.height = be32(b, 20);
  const std::string tail(b.end() - std::min<std::size_t>(b.size(), 64), b.end());
  if (tail.find("IEND") == std::string::npos) h.problem = "truncated PNG (no IEND chunk)";
  return h;
}

Header bmpHeader(const Bytes& b) {
  Header h{0, 0, "bmp", ""};
  if (b.size() < 34) { h.problem = "truncated BMP header"; return h; }
  h.width = static_cast<std::int32_t>(le32(b, 18));
  h.height = std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(le32(b, 22))));
  const std::uint32_t offset = le32(b, 10), bpp = le16(b, 28), compression = le32(b, 30);
  if (compression == 0 && h.width > 0) {
    const std::uint64_t stride = ((static_cast<std::uint64_t>(h.width) * bpp + 31) / 32) * 4;
    if (offset + stride * static_cast<std::uint64_t>(h.height) > b.size()) h.problem = "truncated BMP pixel data";
  }
  return h;
}

Header tiffHeader(const Bytes& b) {
  Header h{0, 0, "tiff", ""};
  const bool le = b[0] == 'I';
  auto u16 = [&](std::size_t i) { return le ? le16(b, i) : be16(b, i); };
  auto u32 = [&](std::size_t i) { return le ? le32(b, i) : be32(b, i); };
  if (b.size() < 8) { h.problem = "truncated TIFF header"; return h; }
  const std::size_t ifd = u32(4);
  if (ifd + 2 > b.size()) { h.problem = "truncated TIFF (directory beyond end of file)"; return h; }
  const std::size_t n = u16(ifd);
  for (std::size_t k = 0; k < n && ifd + 2 + 12 * (k + 1) <= b.size(); ++k) {
    const std::size_t e = ifd + 2 + 12 * k;
    const std::uint32_t tag = u16(e), type = u16(e + 2);
    const std::uint32_t value = type == 3 ? u16(e + 8) : u32(e + 8);
    if (tag == 256) h.width = value;
    if (tag == 257) h.height = value;
  }
  if (h.width == 0 || h.height == 0) h.problem = "TIFF without image width and height";
  return h;
}

Header readHeader(const Bytes& b) {
  if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return jpegHeader(b);
  if (b.size() >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return pngHeader(b);
  if (b.size() >= 2 && b[0] == 'B' && b[1] == 'M') return bmpHeader(b);
  if (b.size() >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) ||
                        (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42)))
    return tiffHeader(b);
  Header h;
  h.problem = b.empty() ? "empty file" : "not a supported image (JPEG, PNG, BMP or TIFF)";
  return h;
}

Result<Bytes> readAll(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return Status::NotFound(file.string() + ": no such file");
  if (!fs::is_regular_file(file, ec)) return Status::BadInput(file.string() + ": not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(file.string() + ": cannot be opened for reading");
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IoError(file.string() + ": read error");
  return bytes;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

Result<std::string> hashFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return Status::NotFound(file.string() + ": no such file");
  if (!fs::is_regular_file(file, ec)) return Status::BadInput(file.string() + ": not a regular file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(file.string() + ": cannot be opened for reading");
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), &XXH3_freeState);
  if (!state || XXH3_64bits_reset(state.get()) != XXH_OK) return Status::Error(StatusCode::kInternal, "cannot start a hash");
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got > 0) (void)XXH3_64bits_update(state.get(), buffer.data(), static_cast<std::size_t>(got));
  }
  if (in.bad()) return Status::IoError(file.string() + ": read error");
  return hex64(XXH3_64bits_digest(state.get()));
}

Result<ImageInfo> probeImage(const fs::path& file, const ProbeOptions& options) {
  auto bytes = readAll(file);
  if (!bytes.ok()) return bytes.status();
  const Bytes& b = *bytes;
  const Header h = readHeader(b);
  if (!h.problem.empty()) return Status::BadInput(file.string() + ": " + h.problem);
  if (h.width <= 0 || h.height <= 0) return Status::BadInput(file.string() + ": image has no pixels");
  if (h.width * h.height > options.maxPixels)
    return Status::BadInput(file.string() + ": " + std::to_string(h.width) + " x " + std::to_string(h.height) +
                            " pixels is over the limit of " + std::to_string(options.maxPixels) +
                            " (raise it with --max-pixels)");
  std::optional<std::uint64_t> phash;
  if (options.decode) {
    // A reduced decode reads every byte of the compressed stream at a fraction of the cost.
    // The perceptual hash needs at least 64 pixels a side (it averages down to 32x32), so a
    // small JPEG is reduced less.
    const std::int64_t side = std::min(h.width, h.height);
    const int flags = h.format != "jpeg" ? cv::IMREAD_GRAYSCALE
                      : side >= 512      ? cv::IMREAD_REDUCED_GRAYSCALE_8
                      : side >= 256      ? cv::IMREAD_REDUCED_GRAYSCALE_4
                      : side >= 128      ? cv::IMREAD_REDUCED_GRAYSCALE_2
                                         : cv::IMREAD_GRAYSCALE;
    cv::Mat img;
    try {
      img = cv::imdecode(b, flags);
    } catch (const cv::Exception& e) {
      return Status::BadInput(file.string() + ": cannot be decoded: " + e.what());
    }
    if (img.empty()) return Status::BadInput(file.string() + ": cannot be decoded (corrupt " + h.format + " data)");
    phash = perceptualHash(img.data, img.cols, img.rows, img.step);
  }
  ImageInfo info;
  info.phash = phash;
  // Orientations 5 to 8 turn the image a quarter: the window (Qt's auto-transform) and the
  // detector (OpenCV's imread) both show it upright, so the store keeps the upright size.
  const bool quarterTurn = h.orientation >= 5;
  info.width = static_cast<int>(quarterTurn ? h.height : h.width);
  info.height = static_cast<int>(quarterTurn ? h.width : h.height);
  info.orientation = h.orientation;
  info.hash = hex64(XXH3_64bits(b.data(), b.size()));
  info.format = h.format;
  return info;
}

}  // namespace quarry
