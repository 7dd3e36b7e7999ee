#!/usr/bin/env python3
"""Generates the Dragons dataset deterministically (no network, fixed seed).

Writes data/dragon_stats_one.txt (one JSON document: an array of dragon records, the
format of the course's file of the same name) and data/dragon_stats_one.jsonl (the same
records as JSON lines). The first record is the course's own Atlas, so its examples work
unchanged. Run again and you get the same bytes.

    python3 generate_dragons.py [--count 1200] [--out data]

The array stays well under S3 Select's 1 MB limit on one record: a JSON DOCUMENT whose
root is an array is a single record to S3 Select.
"""

import argparse
import json
import os
import random

SEED = 20240517
DEFAULT_COUNT = 1200

ATLAS = {
    "description_str": "From the northern fire tribe, Atlas was born from the ashes of his "
                       "fallen father in combat. He is fearless and does not fear battle.",
    "dragon_name_str": "Atlas",
    "family_str": "red",
    "location_city_str": "anchorage",
    "location_country_str": "usa",
    "location_neighborhood_str": "w fireweed ln",
    "location_state_str": "alaska",
}

FAMILIES = ["red", "blue", "green", "black", "white", "gold", "silver", "bronze", "copper",
            "brass", "purple", "shadow"]

# (city, state or region, country, neighbourhoods)
PLACES = [
    ("anchorage", "alaska", "usa", ["w fireweed ln", "spenard rd", "midtown"]),
    ("seattle", "washington", "usa", ["capitol hill", "ballard", "fremont"]),
    ("santa fe", "new mexico", "usa", ["canyon rd", "railyard", "south capitol"]),
    ("new orleans", "louisiana", "usa", ["french quarter", "marigny", "garden district"]),
    ("chicago", "illinois", "usa", ["wicker park", "hyde park", "the loop"]),
    ("toronto", "ontario", "canada", ["kensington market", "yorkville", "leslieville"]),
    ("vancouver", "british columbia", "canada", ["gastown", "kitsilano", "yaletown"]),
    ("mexico city", "cdmx", "mexico", ["coyoacan", "roma norte", "condesa"]),
    ("lima", "lima", "peru", ["miraflores", "barranco", "san isidro"]),
    ("buenos aires", "buenos aires", "argentina", ["palermo", "san telmo", "recoleta"]),
    ("reykjavik", "capital region", "iceland", ["laugavegur", "vesturbaer", "hlidar"]),
    ("edinburgh", "scotland", "uk", ["old town", "leith", "stockbridge"]),
    ("cardiff", "wales", "uk", ["cathays", "pontcanna", "roath"]),
    ("krakow", "lesser poland", "poland", ["wawel", "kazimierz", "podgorze"]),
    ("ljubljana", "central slovenia", "slovenia", ["center", "trnovo", "siska"]),
    ("bergen", "vestland", "norway", ["bryggen", "nordnes", "sandviken"]),
    ("prague", "prague", "czechia", ["mala strana", "zizkov", "vinohrady"]),
    ("lisbon", "lisbon", "portugal", ["alfama", "belem", "bairro alto"]),
    ("cairo", "cairo", "egypt", ["zamalek", "garden city", "heliopolis"]),
    ("nairobi", "nairobi", "kenya", ["westlands", "karen", "kilimani"]),
    ("cape town", "western cape", "south africa", ["bo-kaap", "sea point", "woodstock"]),
    ("marrakesh", "marrakesh-safi", "morocco", ["medina", "gueliz", "hivernage"]),
    ("istanbul", "istanbul", "turkey", ["kadikoy", "beyoglu", "uskudar"]),
    ("tbilisi", "tbilisi", "georgia", ["sololaki", "vake", "abanotubani"]),
    ("kathmandu", "bagmati", "nepal", ["thamel", "patan", "boudha"]),
    ("kyoto", "kyoto", "japan", ["gion", "arashiyama", "higashiyama"]),
    ("seoul", "seoul", "south korea", ["bukchon", "hongdae", "itaewon"]),
    ("hanoi", "hanoi", "vietnam", ["hoan kiem", "ba dinh", "tay ho"]),
    ("ulaanbaatar", "ulaanbaatar", "mongolia", ["sukhbaatar", "chingeltei", "bayanzurkh"]),
    ("chengdu", "sichuan", "china", ["jinjiang", "wuhou", "qingyang"]),
    ("auckland", "auckland", "new zealand", ["ponsonby", "parnell", "devonport"]),
    ("hobart", "tasmania", "australia", ["battery point", "sandy bay", "north hobart"]),
]

NAME_FIRST = ["Ar", "Bel", "Cor", "Dra", "Ember", "Fal", "Gor", "Hal", "Ign", "Jor", "Kal",
              "Lys", "Mor", "Nyx", "Or", "Pyr", "Quel", "Rha", "Syl", "Tor", "Umb", "Vex",
              "Wyr", "Xan", "Ys", "Zar", "Aur", "Bry", "Cin", "Dae"]
NAME_LAST = ["ion", "rax", "thas", "gon", "mir", "vyn", "dris", "loth", "nar", "zael",
             "keth", "oria", "wyn", "ryx", "scale", "fang", "mourne", "thys", "avel", "ox"]

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

TRAITS = ["fearless", "patient", "cunning", "gentle", "proud", "restless", "wise", "curious",
          "fierce", "secretive", "loyal", "playful"]
ORIGINS = ["the northern fire tribe", "the storm peaks", "a sunken temple", "the glacier caves",
           "the old river delta", "a volcano's heart", "the night forests", "the salt flats",
           "the cloud monasteries", "a forgotten library"]
DEEDS = ["guards a hoard of lost maps", "races the sunrise every morning",
         "sings to passing ships", "mends broken bridges for the villagers",
         "collects moonstones", "has never lost a riddle contest",
         "sleeps beneath the city fountains", "once carried a king across the sea",
         "hunts only in thunderstorms", "teaches young dragons to read the stars"]


def dragon(rng, name):
    family = rng.choice(FAMILIES)
    city, state, country, hoods = rng.choice(PLACES)
    pronoun = rng.choice(["He", "She", "They"])
    verb = {"They": "are"}.get(pronoun, "is")
    description = (f"Born in {rng.choice(ORIGINS)}, {name} {rng.choice(DEEDS)}. "
                   f"{pronoun} {verb} {rng.choice(TRAITS)} and {rng.choice(TRAITS)}.")
    return {
        "description_str": description,
        "dragon_name_str": name,
        "family_str": family,
        "location_city_str": city,
        "location_country_str": country,
        "location_neighborhood_str": rng.choice(hoods),
        "location_state_str": state,
    }


def generate(count):
    rng = random.Random(SEED)
    records, names = [ATLAS], {"Atlas"}
    while len(records) < count:
        name = rng.choice(NAME_FIRST) + rng.choice(NAME_LAST)
        if name in names:  # names are unique, so a WHERE on the name finds one dragon
            name = f"{name} {ROMAN[len([n for n in names if n.startswith(name + ' ')]) + 2]}"
        names.add(name)
        records.append(dragon(rng, name))
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "data"))
    args = parser.parse_args()
    records = generate(args.count)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "dragon_stats_one.txt"), "w", encoding="utf-8") as f:
        json.dump(records, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(args.out, "dragon_stats_one.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    print(f"wrote {len(records)} dragons to {args.out}")


if __name__ == "__main__":
    main()
