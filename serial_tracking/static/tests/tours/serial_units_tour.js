import { registry } from "@web/core/registry";

// The Serial Units list gives the serial the room it needs: the widest column, never
// cut. The kanban cards show the unit's status, owner and badges.
registry.category("web_tour.tours").add("serial_tracking_serial_units_tour", {
    steps: () => [
        {
            content: "The units are listed",
            trigger: ".o_list_view .o_data_row td[name=name]",
        },
        {
            content: "The serial is the widest column and no serial is cut",
            trigger: ".o_list_view thead th[data-name=name]",
            run() {
                const table = this.anchor.closest("table");
                const widths = Object.fromEntries(
                    [...table.querySelectorAll("thead th[data-name]")].map((th) => [
                        th.dataset.name,
                        Math.round(th.getBoundingClientRect().width),
                    ])
                );
                console.log(`serial units columns: ${JSON.stringify(widths)}`);
                const wider = Object.keys(widths).filter((name) => widths[name] > widths.name);
                if (wider.length) {
                    throw new Error(`wider than the serial: ${wider.join(", ")}`);
                }
                for (const cell of table.querySelectorAll("td[name=name]")) {
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(`serial cut: ${cell.textContent}`);
                    }
                }
            },
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The delivered unit's card: status, owner, recalled",
            trigger:
                ".o_kanban_record:contains(358765432100010):contains(Delivered):contains(Handset Wholesale) .badge:contains(Recalled)",
        },
        {
            content: "The unit in stock: recalled, no owner",
            trigger: ".o_kanban_record:contains(358765432100028):contains(In Stock) .badge:contains(Recalled)",
            run() {
                if (this.anchor.closest(".o_kanban_record").querySelector(".fa-user")) {
                    throw new Error("an owner is shown for a unit in stock");
                }
            },
        },
    ],
});
