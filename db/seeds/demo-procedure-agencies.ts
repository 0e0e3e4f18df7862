/**
 * The demo province's procedures as a real catalogue holds them: the national procedure code (mã TTHC,
 * in the national database's form; illustrative for the demo) and the agencies that handle each one
 * after the 1 July 2025 reorganisation (communes and wards take the former district procedures).
 * Kept apart from demo-province.ts so the agency tree and the procedure links can change independently;
 * an agency code missing from the tree is skipped by the seed.
 */
const COMMUNES = ['DEMO-AL-P-ANLAC', 'DEMO-AL-X-BINHMINH', 'DEMO-AL-X-HOATHUAN']

export const DEMO_PROCEDURE_LINKS: Record<string, { nationalCode: string; agencies: string[] }> = {
  // Cấp giấy phép xây dựng nhà ở riêng lẻ
  'DEMO-TTHC-001': { nationalCode: '1.009994', agencies: [...COMMUNES, 'DEMO-AL-SXD'] },
  // Đăng ký khai sinh
  'DEMO-TTHC-002': { nationalCode: '1.001193', agencies: COMMUNES },
  // Đăng ký kết hôn
  'DEMO-TTHC-003': { nationalCode: '1.000894', agencies: COMMUNES },
  // Chứng thực bản sao từ bản chính
  'DEMO-TTHC-004': { nationalCode: '2.000815', agencies: [...COMMUNES, 'DEMO-AL-STP'] },
  // Cấp phiếu lý lịch tư pháp
  'DEMO-TTHC-005': { nationalCode: '2.000488', agencies: ['DEMO-AL-STP'] },
  // Đăng ký thành lập hộ kinh doanh
  'DEMO-TTHC-006': { nationalCode: '2.000720', agencies: COMMUNES },
  // Cấp giấy chứng nhận quyền sử dụng đất lần đầu
  'DEMO-TTHC-007': { nationalCode: '1.004227', agencies: [...COMMUNES, 'DEMO-AL-SNNMT'] },
  // Thi tuyển, xét tuyển công chức
  'DEMO-TTHC-008': { nationalCode: '1.005384', agencies: ['DEMO-AL-SNV'] },
}
