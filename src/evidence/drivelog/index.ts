export { scanDrivelog, DRIVELOG_COLUMNS, type DrivelogScanOptions, type DrivelogScanResult } from './summarise.js';
