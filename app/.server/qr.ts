/** QR codes for survey links and invitations, as SVG (print) or PNG (messaging apps). */
import QRCode from 'qrcode'

export async function qrResponse(url: string, format: 'svg' | 'png'): Promise<Response> {
  const headers = { 'Cache-Control': 'public, max-age=86400' }
  if (format === 'svg') {
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    return new Response(svg, { headers: { ...headers, 'Content-Type': 'image/svg+xml' } })
  }
  const png = await QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 600 })
  return new Response(new Uint8Array(png), { headers: { ...headers, 'Content-Type': 'image/png' } })
}
