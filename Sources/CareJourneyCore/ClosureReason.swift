/// Why a case closed. Every close carries one.
public enum ClosureReason: String, Choice {
    case informationAndAdvice = "information-and-advice"
    case notEligible = "not-eligible"
    case independenceRegained = "independence-regained"
    case needsMet = "needs-met"
    case supportDeclined = "support-declined"
    case deceased = "deceased"
    case movedToAnotherCouncil = "moved-to-another-council"
    case nhsFunded = "nhs-funded"
    case selfFunding = "self-funding"
}
