import type { MockRule } from '@ticketflow/llm-mock';

/**
 * Keyword rules that recognise the telecom intents in free text, first match wins (the
 * picture-message, mobile-data and no-service problems come first: those customers often
 * say where they are and that they will not change plan). Strong
 * phrases give a clear intent (0.85–0.95); a bare mention of the internet gives a weak one
 * (0.5, below the 0.7 threshold), so the agent asks which problem it is (DESIGN D3).
 */
export const TELECOM_RULES: readonly MockRule[] = [
  {
    match:
      /\b(?:human|real person|a person|somebody real|someone real|(?:an? |your )?(?:operator|representative|supervisor)|(?:speak|talk) (?:to|with) (?:someone|somebody|an? agent|a colleague))\b/i,
    intent: 'talk_to_human',
    confidence: 0.95,
  },
  {
    match: /\b(?:mms|picture messag\w*|group messag\w*|multimedia messag\w*|photo messag\w*)\b/i,
    intent: 'mms_issue',
    confidence: 0.9,
  },
  {
    match:
      /\b(?:issues?|problems?|trouble)\b.{0,20}\bmobile data\b|\bmobile data\b.{0,40}\b(?:not working|(?:does ?n[o']?t|won'?t) work|stopped|is down|is dead|broken|no connection|gone)\b|\bunable to use (?:their|my|the) phone to browse\b/i,
    intent: 'no_internet',
    confidence: 0.9,
  },
  {
    match:
      /\b(?:no (?:service|signal|bars)|(?:can(?:no|')?t|unable to) (?:make|place) (?:or receive )?(?:any )?(?:phone )?calls|(?:phone|cell(?:ular)?) service)\b/i,
    intent: 'no_service',
    confidence: 0.9,
  },
  {
    match:
      /\b(?:overcharg\w*|charged (?:me )?(?:twice|double|two times|too much)|double[- ]charg\w*|refund\w*|wrong (?:charge|bill|amount|invoice)|bill\w* (?:is |was )?(?:too high|wrong)|dispute|money back|credit (?:me|it back|back))\b/i,
    intent: 'billing_dispute',
    confidence: 0.9,
  },
  {
    match: /\b(?:change|switch|upgrade|downgrade|move)\b.{0,40}\b(?:plan|tariff|unlimited|plus|basic|business pro)\b|\bnew (?:plan|tariff)\b|\bcheaper plan\b/i,
    intent: 'plan_change',
    confidence: 0.9,
  },
  {
    match: /\b(?:roaming|abroad|travel(?:l?ing)?|trip to|holidays? in|vacation in|flying to)\b/i,
    intent: 'roaming',
    confidence: 0.9,
  },
  {
    match: /\b(?:activat\w*\b.{0,25}\b(?:sim|e-?sim|line)|new (?:sim|e-?sim)|set ?up (?:an? |my )?e-?sim|sim activation|e-?sim)\b/i,
    intent: 'sim_activation',
    confidence: 0.9,
  },
  {
    match: /\b(?:slow|sluggish|laggy|lagging|buffer\w*|keeps? (?:dropping|disconnecting|cutting out)|drops? out|poor speed|speed is (?:bad|low|terrible))\b/i,
    intent: 'slow_internet',
    confidence: 0.88,
  },
  {
    match:
      /\b(?:no (?:internet|connection|mobile data|data|network|wifi|wi-fi)|(?:internet|connection|wifi|wi-fi|data|network|line|router|modem)\b.{0,30}\b(?:down|dead|not working|(?:does ?n[o']?t|won'?t) work|stopped working|broken|offline|out)|can'?t (?:connect|get online)|cannot (?:connect|get online)|is offline)\b/i,
    intent: 'no_internet',
    confidence: 0.9,
  },
  {
    match: /\b(?:internet|wifi|wi-fi|connection|network|router|modem)\b/i,
    intent: 'no_internet',
    confidence: 0.5,
  },
];
