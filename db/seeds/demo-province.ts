/**
 * A small fictional province for demos and tests. Every name says "(mẫu)" / "(demo)" and no code looks
 * like a real administrative code, so nobody mistakes it for real data. It follows the 2025 reorganisation:
 * the former province of Bình Sơn and its districts merged into An Lạc on 2025-07-01.
 */
import type { AgencyLevel, ProcedureLevel, SuccessionKind } from '#db/schema.ts'

export interface DemoAgency {
  code: string
  nameVi: string
  nameEn: string
  level: AgencyLevel
  parent: string | null
  validFrom: string
  validTo: string | null
}

export const REORGANISATION_DATE = '2025-07-01'
const BEFORE = '2025-06-30'
const OLD_START = '2015-01-01'

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    code: 'DEMO-AL',
    nameVi: 'Tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Province (demo)',
    level: 'province',
    parent: null,
    validFrom: OLD_START,
    validTo: null,
  },
  {
    code: 'DEMO-AL-SNV',
    nameVi: 'Sở Nội vụ tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Department of Home Affairs (demo)',
    level: 'department',
    parent: 'DEMO-AL',
    validFrom: OLD_START,
    validTo: null,
  },
  {
    code: 'DEMO-AL-STP',
    nameVi: 'Sở Tư pháp tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Department of Justice (demo)',
    level: 'department',
    parent: 'DEMO-AL',
    validFrom: OLD_START,
    validTo: null,
  },
  {
    code: 'DEMO-AL-SXD',
    nameVi: 'Sở Xây dựng tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Department of Construction (demo)',
    level: 'department',
    parent: 'DEMO-AL',
    validFrom: OLD_START,
    validTo: null,
  },
  {
    code: 'DEMO-AL-SNNMT',
    nameVi: 'Sở Nông nghiệp và Môi trường tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Department of Agriculture and Environment (demo)',
    level: 'department',
    parent: 'DEMO-AL',
    validFrom: REORGANISATION_DATE,
    validTo: null,
  },
  {
    code: 'DEMO-AL-P-ANLAC',
    nameVi: 'Phường An Lạc (mẫu)',
    nameEn: 'An Lac Ward (demo)',
    level: 'commune',
    parent: 'DEMO-AL',
    validFrom: REORGANISATION_DATE,
    validTo: null,
  },
  {
    code: 'DEMO-AL-X-BINHMINH',
    nameVi: 'Xã Bình Minh (mẫu)',
    nameEn: 'Binh Minh Commune (demo)',
    level: 'commune',
    parent: 'DEMO-AL',
    validFrom: REORGANISATION_DATE,
    validTo: null,
  },
  {
    code: 'DEMO-AL-X-HOATHUAN',
    nameVi: 'Xã Hòa Thuận (mẫu)',
    nameEn: 'Hoa Thuan Commune (demo)',
    level: 'commune',
    parent: 'DEMO-AL',
    validFrom: REORGANISATION_DATE,
    validTo: null,
  },
  // Before the reorganisation: An Lạc's own districts and old departments, and the former province of Bình Sơn.
  {
    code: 'DEMO-AL-STNMT',
    nameVi: 'Sở Tài nguyên và Môi trường tỉnh An Lạc (mẫu)',
    nameEn: 'An Lac Department of Natural Resources and Environment (demo)',
    level: 'department',
    parent: 'DEMO-AL',
    validFrom: OLD_START,
    validTo: BEFORE,
  },
  {
    code: 'DEMO-AL-H-ANLAC',
    nameVi: 'Thành phố An Lạc (mẫu, cấp huyện cũ)',
    nameEn: 'An Lac City (demo, former district level)',
    level: 'district',
    parent: 'DEMO-AL',
    validFrom: OLD_START,
    validTo: BEFORE,
  },
  {
    code: 'DEMO-BS',
    nameVi: 'Tỉnh Bình Sơn (mẫu, đã hợp nhất)',
    nameEn: 'Binh Son Province (demo, merged)',
    level: 'province',
    parent: null,
    validFrom: OLD_START,
    validTo: BEFORE,
  },
  {
    code: 'DEMO-BS-SNV',
    nameVi: 'Sở Nội vụ tỉnh Bình Sơn (mẫu, đã hợp nhất)',
    nameEn: 'Binh Son Department of Home Affairs (demo, merged)',
    level: 'department',
    parent: 'DEMO-BS',
    validFrom: OLD_START,
    validTo: BEFORE,
  },
  {
    code: 'DEMO-BS-H-BINHMINH',
    nameVi: 'Huyện Bình Minh (mẫu, đã giải thể)',
    nameEn: 'Binh Minh District (demo, abolished)',
    level: 'district',
    parent: 'DEMO-BS',
    validFrom: OLD_START,
    validTo: BEFORE,
  },
  {
    code: 'DEMO-BS-H-HOATHUAN',
    nameVi: 'Huyện Hòa Thuận (mẫu, đã giải thể)',
    nameEn: 'Hoa Thuan District (demo, abolished)',
    level: 'district',
    parent: 'DEMO-BS',
    validFrom: OLD_START,
    validTo: BEFORE,
  },
]

export const DEMO_SUCCESSIONS: Array<[predecessor: string, successor: string, kind: SuccessionKind]> = [
  ['DEMO-BS', 'DEMO-AL', 'merged_into'],
  ['DEMO-BS-SNV', 'DEMO-AL-SNV', 'merged_into'],
  ['DEMO-AL-STNMT', 'DEMO-AL-SNNMT', 'merged_into'],
  ['DEMO-AL-H-ANLAC', 'DEMO-AL-P-ANLAC', 'merged_into'],
  ['DEMO-BS-H-BINHMINH', 'DEMO-AL-X-BINHMINH', 'merged_into'],
  ['DEMO-BS-H-HOATHUAN', 'DEMO-AL-X-HOATHUAN', 'merged_into'],
]

export interface DemoProcedure {
  code: string
  nameVi: string
  nameEn: string
  level: ProcedureLevel
  fieldVi: string
  fieldEn: string
}

export const DEMO_PROCEDURES: DemoProcedure[] = [
  {
    code: 'DEMO-TTHC-001',
    nameVi: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
    nameEn: 'Construction permit for a private house',
    level: 'commune',
    fieldVi: 'Xây dựng',
    fieldEn: 'Construction',
  },
  {
    code: 'DEMO-TTHC-002',
    nameVi: 'Đăng ký khai sinh',
    nameEn: 'Birth registration',
    level: 'commune',
    fieldVi: 'Hộ tịch',
    fieldEn: 'Civil status',
  },
  {
    code: 'DEMO-TTHC-003',
    nameVi: 'Đăng ký kết hôn',
    nameEn: 'Marriage registration',
    level: 'commune',
    fieldVi: 'Hộ tịch',
    fieldEn: 'Civil status',
  },
  {
    code: 'DEMO-TTHC-004',
    nameVi: 'Chứng thực bản sao từ bản chính',
    nameEn: 'Certified copy of an original document',
    level: 'commune',
    fieldVi: 'Chứng thực',
    fieldEn: 'Certification',
  },
  {
    code: 'DEMO-TTHC-005',
    nameVi: 'Cấp phiếu lý lịch tư pháp',
    nameEn: 'Judicial record certificate',
    level: 'province',
    fieldVi: 'Lý lịch tư pháp',
    fieldEn: 'Judicial records',
  },
  {
    code: 'DEMO-TTHC-006',
    nameVi: 'Đăng ký thành lập hộ kinh doanh',
    nameEn: 'Registration of a household business',
    level: 'commune',
    fieldVi: 'Thành lập và hoạt động doanh nghiệp',
    fieldEn: 'Business registration',
  },
  {
    code: 'DEMO-TTHC-007',
    nameVi: 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu',
    nameEn: 'First land-use right certificate',
    level: 'commune',
    fieldVi: 'Đất đai',
    fieldEn: 'Land',
  },
  {
    code: 'DEMO-TTHC-008',
    nameVi: 'Thi tuyển, xét tuyển công chức',
    nameEn: 'Civil service recruitment',
    level: 'province',
    fieldVi: 'Công chức, viên chức',
    fieldEn: 'Civil service',
  },
]
