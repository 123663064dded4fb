export { scanManifest, manifestCounts, listTabularFiles, parseFlag, MANIFEST_COLUMNS, type ManifestScanOptions, type ManifestScanResult, type ManifestCounts } from './count.js';
export { DigestSet } from './digest-set.js';
export { PersonTable, PERSON, SENSITIVE, CHARGING, BY_VEHICLE, VEHICLE } from './person-table.js';
export { IdentifierHasher } from './identifier-hasher.js';
export { HmacSha256 } from './hmac-sha256.js';
