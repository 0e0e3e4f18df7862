/** Absolute URLs that leave the server (QR codes, CLI listings, API answers) are built here only. */
export function surveyLinkUrl(publicUrl: string, linkCode: string): string {
  return `${publicUrl}/s/${encodeURIComponent(linkCode)}`
}

export function invitationUrl(publicUrl: string, invitationCode: string): string {
  return `${publicUrl}/r/${encodeURIComponent(invitationCode)}`
}

export function setupUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/setup/${encodeURIComponent(token)}`
}
