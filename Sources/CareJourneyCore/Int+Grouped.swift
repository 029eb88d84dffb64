extension Int {
    /// The number as the service writes numbers for people, its thousands separated by commas: `1,234,567`, `-60`,
    /// `0` (counts on pages and terminals, pounds in `Money`).
    public var grouped: String {
        let digits = String(magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (self < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
