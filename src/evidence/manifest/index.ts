export { scanManifest, manifestCounts, newManifestSets, listTabularFiles, parseFlag, MANIFEST_COLUMNS, type ManifestScanOptions, type ManifestScanResult, type ManifestSets, type ManifestCounts } from './count.js';
export { DigestSet } from './digest-set.js';
export { IdentifierHasher } from './identifier-hasher.js';
export { HmacSha256 } from './hmac-sha256.js';
