/**
 * Every message the annotation scanner shows a person, in one table (zh can be added beside en).
 */
export const MSG = {
  notFound: (path: string) => `no such file or folder: ${path}`,
  noFiles: (path: string, format: string) => `no ${format} annotation files under ${path}`,
  malformed: (file: string, format: string) => `${file} is not a valid ${format} annotation file`,
  badOption: (name: string) => `bad value for option ${name}`,
  unknownOption: (name: string, format: string) => `unknown option ${name} for format ${format}`,
  negativeBox: 'box has a negative width or height',
  notNumber: (what: string) => `${what} is not a number`,
  noImageSize: (label: string) => `cannot find the size of the image of ${label}`,
  unknownCategory: (id: number) => `annotation refers to category ${id}, which is not in "categories"`,
} as const;

export const EXPECTED = {
  widerCount: 'a number of faces (a non-negative integer)',
  widerBox: 'x y w h blur expression illumination invalid occlusion pose (10 integers)',
  widerPath: 'an image path line',
  kitti: 'type truncated occluded alpha left top right bottom … (at least 8 fields, numbers from field 2)',
  yolo: 'class cx cy w h (class id, then four numbers between 0 and 1)',
  openalpr: 'image<TAB>x<TAB>y<TAB>width<TAB>height<TAB>plate text',
  ccpd: 'a CCPD name: area-tilt-x1&y1_x2&y2-vertices-characters-brightness-blurriness.jpg',
  vocBox: '<bndbox> with numeric <xmin> <ymin> <xmax> <ymax>, xmax >= xmin and ymax >= ymin',
  voc: 'a Pascal VOC <annotation> document',
  csvRow: 'a row with the mapped columns',
} as const;
