import { registry } from "@web/core/registry";

// A pawnshop checks a serial on the public page: the unit was reported stolen, and the
// answer says so without telling anything else about it.
registry.category("web_tour.tours").add("serial_tracking_public_check_tour", {
    steps: () => [
        {
            content: "Type the serial number",
            trigger: "input#serial_check_serial",
            run: "edit 1hgcm82633a004352",
        },
        {
            content: "Say where the check comes from",
            trigger: "input#serial_check_where",
            run: "edit Second-hand shop, Rue Haute",
        },
        {
            content: "Check",
            trigger: "button.o_serial_check_submit",
            run: "click",
        },
        {
            content: "The unit is reported stolen",
            trigger: ".o_serial_check_result[data-reported=stolen]:contains(Reported stolen)",
        },
        {
            content: "The form is ready for the next check",
            trigger: "input#serial_check_serial",
        },
    ],
});
