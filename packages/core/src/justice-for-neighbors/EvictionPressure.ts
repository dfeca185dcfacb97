/**
 * No pressing a landlord to evict for contacts with law enforcement: Gov.
 * Code 53165.1 (AB 1418, 2024) forbids a local agency to require or
 * encourage a landlord to evict a tenant, or to end a tenancy, because of
 * the tenant's (or an occupant's) contacts with law enforcement, and to
 * penalize a tenancy for them. This module is the check applied wherever
 * text enters a case: notice templates, abatement plan terms, the
 * violations of a notice, the work of a city abatement.
 *
 * It is a word check, and its limits are those of one: it reads sentences,
 * not meaning. It finds a sentence that names an eviction (evict, eviction,
 * ending or terminating a tenancy or lease, removing a tenant or occupant,
 * unlawful detainer, a notice to quit or to vacate) together with a contact
 * with law enforcement (police, law enforcement, sheriff, officer, 911, a
 * call or call for service, an arrest, a criminal charge or conviction). It
 * misses pressure spread over two sentences, written in other words ("find
 * a new occupant for room 12") or in another language, and it refuses a
 * sentence that mentions both for a harmless reason; a sentence that cites
 * 53165.1 itself is taken to state the protection and passes. It is a
 * guard against mistakes in text the city writes, not a substitute for the
 * city attorney's review.
 *
 * @module
 */

const eviction =
  /\b(evict\w*|unlawful[- ]detainer|notices? to (?:quit|vacate)|(?:terminat\w*|end\w*)\s+(?:(?:of|the|a|any|their|his|her)\s+)*(?:tenanc\w*|leases?|rental agreements?)|remov\w*\s+(?:(?:the|a|any|their)\s+)*(?:tenants?|occupants?|residents?|renters?))\b/i

const lawEnforcement =
  /\b(police|law[- ]enforcement|sheriff\w*|officers?|911|9-1-1|calls?|called|calling|arrest\w*|criminal|convict\w*|charged)\b/i

const citesTheProtection = /53165\.1/

/** A sentence that requires or presses eviction for contacts with law enforcement, and the words that show it. */
export interface EvictionPressure {
  readonly sentence: string
  readonly evictionWords: string
  readonly lawEnforcementWords: string
}

/**
 * The first sentence of `text` that names an eviction together with a
 * contact with law enforcement (Gov. Code 53165.1), or `undefined`. See the
 * module's comment for what the check cannot see.
 *
 * @example
 * ```ts
 * evictionPressure("Evict the tenants of room 12 after the police calls.") // { sentence: "Evict the tenants ...", ... }
 * evictionPressure("Security guard Friday and Saturday nights") // undefined
 * ```
 */
export const evictionPressure = (text: string): EvictionPressure | undefined => {
  for (const sentence of text.split(/(?<=[.!?;])\s+|\r?\n/)) {
    if (citesTheProtection.test(sentence)) continue
    const evicts = eviction.exec(sentence)
    const contact = lawEnforcement.exec(sentence)
    if (evicts !== null && contact !== null) {
      return { sentence: sentence.trim(), evictionWords: evicts[0], lawEnforcementWords: contact[0] }
    }
  }
  return undefined
}

/** The law behind {@link evictionPressure}, as refusals and problems cite it. */
export const EVICTION_PRESSURE_LAW = "Gov. Code 53165.1"
