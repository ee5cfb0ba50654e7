/** Where things are in the bucket: the upload key names the partner, and nothing else does. */
import { describe, expect, it } from 'vitest';
import {
  decodeEventKey,
  encodeEventKey,
  parseUploadKey,
  reportKey,
  UPLOAD_SUFFIXES,
  uploadKey,
} from '../../shared/storage/bucket-layout.js';

describe('the bucket layout', () => {
  it('reads the partner and the file name from an upload key, and nothing from any other key', () => {
    expect(parseUploadKey(uploadKey('contoso-it', 'Kunden 2027.csv'))).toEqual({ partnerId: 'contoso-it', fileName: 'Kunden 2027.csv' });
    expect(parseUploadKey('uploads/contoso/PLAN.CSV')).toEqual({ partnerId: 'contoso', fileName: 'PLAN.CSV' });
    for (const key of [
      'uploads/contoso/nested/file.csv', // a file under another folder is not the partner's upload
      'uploads/contoso/file.xlsx',
      'uploads/../contoso/file.csv',
      'uploads/-contoso/file.csv', // partner ids start with a letter or digit
      'reports/contoso/abc/plan.csv',
      'uploads/contoso/',
    ]) {
      expect(parseUploadKey(key), key).toBeUndefined();
    }
  });

  it('triggers on every spelling of .csv the upload key accepts that S3 filters can name', () => {
    for (const suffix of UPLOAD_SUFFIXES) expect(parseUploadKey(`uploads/p/file${suffix}`)).toBeDefined();
  });

  it("keeps each upload's reports under its partner and upload", () => {
    expect(reportKey('contoso', 'u1', 'plan.csv')).toBe('reports/contoso/u1/plan.csv');
  });

  it('decodes event keys as S3 encodes them, and refuses a broken encoding', () => {
    for (const key of ['uploads/p/a b+c (1).csv', 'uploads/p/Übersicht 日本.csv', "uploads/p/it's!.csv"]) {
      expect(decodeEventKey(encodeEventKey(key))).toBe(key);
    }
    expect(encodeEventKey('uploads/p/a b+c.csv')).toBe('uploads/p/a+b%2Bc.csv');
    expect(decodeEventKey('uploads/p/100%.csv')).toBeUndefined();
  });
});
