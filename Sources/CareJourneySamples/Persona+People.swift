import CareJourneyCore

/// The people of the sample council: names, routes in, teams and their practitioners.
extension Persona {
    static let firstNames = [
        "Ada", "Albert", "Amira", "Arthur", "Barbara", "Bert", "Brenda", "Cara", "Colin", "Dev", "Doris", "Edna",
        "Eileen", "Femi", "Frank", "Gladys", "Gus", "Hana", "Harold", "Ivor", "Iris", "Jas", "Joan", "Ken", "Kit",
        "Lena", "Leonard", "Mabel", "Maureen", "Mohammed", "Nora", "Norman", "Olive", "Owen", "Pat", "Priya", "Ray",
        "Rita", "Sheila", "Stan", "Tariq", "Thelma", "Una", "Vera", "Walter", "Winifred", "Yusuf", "Zofia",
    ]
    static let surnames = [
        "Ahmed", "Atkinson", "Bailey", "Brown", "Campbell", "Clarke", "Cooper", "Davies", "Evans", "Fisher",
        "Foster", "Green", "Hall", "Hughes", "Iqbal", "Jackson", "Jones", "Kaur", "Khan", "Lee", "Marsh", "Mills",
        "Morgan", "Nowak", "O'Brien", "Owen", "Patel", "Price", "Roberts", "Shaw", "Singh", "Smith", "Taylor",
        "Turner", "Walker", "Ward", "Watson", "White", "Wilson", "Wood", "Wright", "Young",
    ]

    /// The council's teams, as `reassign` names them.
    static let teams = ["north-east", "north-west", "south-dales", "city-central", "hospital-discharge"]

    /// Each team's practitioners, by sign-in name.
    static let practitioners: [String: [String]] = [
        "north-east": ["sw.jones", "sw.patel", "ot.hughes", "sw.marsh"],
        "north-west": ["sw.khan", "sw.oneill", "ot.price", "sw.bailey"],
        "south-dales": ["sw.evans", "sw.nowak", "ot.shaw", "sw.green"],
        "city-central": ["sw.ahmed", "sw.turner", "ot.kaur", "sw.lee", "sw.foster"],
        "hospital-discharge": ["sw.wood", "sw.singh", "ot.mills"],
    ]

    /// Routes in for adults, more of the common ones.
    static let routes: [RouteOfAccess] = [
        .selfReferral, .selfReferral, .familyOrFriend, .familyOrFriend, .gp, .gp, .nhsCommunity, .hospitalDischarge,
        .hospitalDischarge, .hospitalDischarge, .hospitalDiversion, .selfFunderDepletedFunds, .police, .other,
        .transitionFromChildrensServices, .transferFromAnotherCouncil, .prison,
    ]

    static func contact(carer: Bool, random: KeyedRandom) -> Contact {
        let name = "\(random.pick(firstNames, "first-name")) \(random.pick(surnames, "surname"))"
        guard carer else {
            return Contact(
                name: name, clientType: .adult, route: random.pick(routes, "route"), caredFor: nil, summary: nil,
                details: details(carer: false, random: random))
        }
        let caredFor = "\(random.pick(firstNames, "cared-for")) \(name.split(separator: " ").last ?? "")"
        return Contact(
            name: name, clientType: .carer, route: random.pick([.selfReferral, .gp, .familyOrFriend], "route"),
            caredFor: caredFor, summary: "caring for \(caredFor) most days", details: details(carer: true, random: random))
    }

    /// Who acts on the case: the allocated practitioner, or the team's duty desk.
    var actor: String { practitioner ?? "duty.\(team)" }

    /// The team's manager (high-cost panels, escalations).
    var manager: String { "tm.\(team)" }
}
